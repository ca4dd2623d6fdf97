//! Where tickets come from: an arrival *source* (today the non-homogeneous Poisson process
//! of the scenario's rate table, with gamma day-level dispersion) and the draw of each
//! arrival's attributes (segment, then the segment's channel, priority and level mixes).
//!
//! A trace replay ([`TraceSource`], `[demand] trace`) is another source with the same two
//! calls; [`Source`] dispatches on an enum (no trait object on the hot path).

use super::rng::SimRng;
use crate::scenario::Scenario;
use crate::scenario::trace::{Trace, TraceRow};
use std::sync::Arc;

/// Where a replication's arrivals come from.
#[derive(Debug)]
pub enum Source {
    /// The Poisson process of the rate table.
    Poisson(PoissonSource),
    /// The rows of a trace.
    Trace(TraceSource),
}

impl Source {
    /// The source of scenario `s`: its trace if it has one, else the Poisson process on `rng`.
    pub fn new(s: &Scenario, rng: SimRng) -> Self {
        match &s.trace {
            Some(t) => Source::Trace(TraceSource {
                trace: Arc::clone(t),
                next: 0,
            }),
            None => Source::Poisson(PoissonSource::new(s, rng)),
        }
    }

    /// Next arrival time at or after `now`; `None` when there are no more.
    #[inline(always)]
    pub fn next_after(&mut self, s: &Scenario, now: f64) -> Option<f64> {
        match self {
            Source::Poisson(p) => p.next_after(s, now),
            Source::Trace(t) => t.next_after(now),
        }
    }

    /// The trace row of the arrival happening now (`None` for the Poisson process).
    #[inline]
    pub fn arriving(&self) -> Option<TraceRow> {
        match self {
            Source::Poisson(_) => None,
            Source::Trace(t) => t.trace.rows.get(t.next.wrapping_sub(1)).copied(),
        }
    }
}

/// Arrivals replayed from a trace: every replication sees the same rows.
#[derive(Debug)]
pub struct TraceSource {
    trace: Arc<Trace>,
    /// Rows handed out so far (the pending arrival is row `next - 1`).
    next: usize,
}

impl TraceSource {
    /// The next row's time (rows are sorted, so never before `now`).
    #[inline]
    fn next_after(&mut self, now: f64) -> Option<f64> {
        let row = self.trace.rows.get(self.next)?;
        self.next += 1;
        Some(row.time_min.max(now))
    }
}
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

/// The non-homogeneous Poisson arrival process of one replication.
#[derive(Debug)]
pub struct PoissonSource {
    rng: SimRng,
    /// Current rate segment.
    segment: usize,
    /// Day-level rate multipliers (1 without dispersion).
    day_mult: Vec<f64>,
    /// Rate of the current segment, day multiplier applied [tickets/minute]: kept rather
    /// than recomputed, since nearly every arrival falls in the segment of the one before.
    rate_per_min: f64,
    /// End of the current segment [minutes].
    end_min: f64,
}

impl PoissonSource {
    /// The source for a scenario, drawing its daily multipliers from `rng` first.
    pub fn new(s: &Scenario, mut rng: SimRng) -> Self {
        let day_mult = if let Some(g) = &s.demand.daily_multiplier {
            (0..s.demand.days).map(|_| g.sample(&mut rng)).collect()
        } else {
            vec![1.0; s.demand.days.max(1) as usize]
        };
        let mut src = PoissonSource {
            rng,
            segment: 0,
            day_mult,
            rate_per_min: 0.0,
            end_min: 0.0,
        };
        src.enter_segment(s, 0);
        src
    }

    /// Makes segment `k` the current one.
    fn enter_segment(&mut self, s: &Scenario, k: usize) {
        let segs = &s.demand.segments;
        self.segment = k;
        let seg = segs[k];
        self.end_min = segs
            .get(k + 1)
            .map_or_else(|| s.run.span_min(), |x| x.start_min);
        self.rate_per_min = seg.rate_per_min * self.day_mult[seg.day as usize];
    }

    /// Next arrival time after `now`, by inverting the integrated rate across
    /// piecewise-constant segments (exact, no thinning); `None` past the end of the run.
    #[inline(always)]
    pub fn next_after(&mut self, s: &Scenario, now: f64) -> Option<f64> {
        let mut e: f64 = Exp1.sample(&mut self.rng);
        let mut t = now;
        loop {
            let (rate, end) = (self.rate_per_min, self.end_min);
            if rate > 0.0 {
                let dt = e / rate;
                if t + dt < end {
                    return Some(t + dt);
                }
                e -= (end - t) * rate;
            }
            if self.segment + 1 >= s.demand.segments.len() {
                return None;
            }
            self.enter_segment(s, self.segment + 1);
            t = end;
        }
    }
}

/// One categorical attribute: cumulative probabilities, or the only possible value (then no
/// draw is made, so single-valued mixes cost nothing and consume no random numbers).
#[derive(Debug, Clone)]
struct Categorical {
    cum: Vec<f64>,
    single: Option<usize>,
}

impl Categorical {
    fn new(p: &[f64]) -> Self {
        let mut acc = 0.0;
        let mut cum: Vec<f64> = p
            .iter()
            .map(|x| {
                acc += x;
                acc
            })
            .collect();
        // Guard the last bucket *with a positive probability* against rounding, so a uniform
        // draw always lands somewhere possible: mixes may sum to 1 - 1e-6, and a draw above
        // the sum must not pick a value of probability 0 (a level no tier serves, a segment
        // never meant to arrive). The buckets after it are never reached.
        let last = p
            .iter()
            .rposition(|&x| x > 0.0)
            .unwrap_or(cum.len().saturating_sub(1));
        for c in cum.iter_mut().skip(last) {
            *c = f64::INFINITY;
        }
        let mut nz = (0..p.len()).filter(|&i| p[i] > 0.0);
        let single = match (nz.next(), nz.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        };
        Categorical { cum, single }
    }

    #[inline]
    fn draw(&self, rng: &mut SimRng) -> usize {
        if let Some(i) = self.single {
            return i;
        }
        let u: f64 = rng.random();
        self.cum
            .iter()
            .position(|c| u < *c)
            .unwrap_or(self.cum.len() - 1)
    }
}

/// The attributes of one arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attributes {
    /// Segment index.
    pub segment: usize,
    /// Channel index.
    pub channel: usize,
    /// Priority index (0 = P1).
    pub priority: usize,
    /// Required level (0 = deflected).
    pub level: usize,
    /// Category index (one default category until categories are configured).
    pub category: usize,
}

/// Draws arrival attributes from the scenario's mixes.
#[derive(Debug)]
pub struct AttributeSampler {
    rng: SimRng,
    segment: Categorical,
    /// Per segment: channel, priority and level mixes.
    mixes: Vec<[Categorical; 3]>,
    /// With `[categories]`: per segment the category mix, and per category its own channel
    /// and level mixes (`None`: the segment's). Empty without categories (no draw).
    categories: Vec<Categorical>,
    by_category: Vec<[Option<Categorical>; 2]>,
}

impl AttributeSampler {
    /// The sampler for a scenario, drawing from `rng`.
    pub fn new(s: &Scenario, rng: SimRng) -> Self {
        let mut segment = Categorical::new(&s.demand.segment_probs);
        // Segments skip the draw only when there is one: a file with several segments draws
        // even if all but one have probability 0 (its random stream stays that of earlier
        // versions).
        segment.single = (s.demand.segment_probs.len() == 1).then_some(0);
        let mixes = s
            .demand
            .mixes
            .iter()
            .map(|m| {
                [
                    Categorical::new(&m.channel),
                    Categorical::new(&m.priority),
                    Categorical::new(&m.level),
                ]
            })
            .collect();
        let (categories, by_category) = match &s.skills {
            Some(k) => (
                k.mix.iter().map(|m| Categorical::new(m)).collect(),
                k.profiles
                    .iter()
                    .map(|p| {
                        [
                            p.channel.as_ref().map(|m| Categorical::new(m)),
                            p.level.as_ref().map(|m| Categorical::new(m)),
                        ]
                    })
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        AttributeSampler {
            rng,
            segment,
            mixes,
            categories,
            by_category,
        }
    }

    /// The next arrival's attributes (segment first, then its mixes, in that order; with
    /// categories the category comes right after the segment, and may bring its own channel
    /// and level mixes).
    #[inline(always)]
    pub fn draw(&mut self) -> Attributes {
        let segment = self.segment.draw(&mut self.rng);
        if !self.categories.is_empty() {
            return self.draw_with_category(segment);
        }
        let [c, p, l] = &self.mixes[segment];
        let channel = c.draw(&mut self.rng);
        let priority = p.draw(&mut self.rng);
        let level = l.draw(&mut self.rng);
        Attributes {
            segment,
            channel,
            priority,
            level,
            category: 0,
        }
    }
}

impl AttributeSampler {
    /// The attributes of trace row `r`: channel, priority and segment as given; the category
    /// and the level as given, else drawn (category first, then level) from this stream.
    pub fn complete(&mut self, r: &TraceRow) -> Attributes {
        let segment = r.segment as usize;
        let category = match r.category {
            Some(c) => c as usize,
            None if !self.categories.is_empty() => self.categories[segment].draw(&mut self.rng),
            None => 0,
        };
        let level = match r.level {
            Some(l) => l as usize,
            None => {
                let own = self.by_category.get(category).and_then(|m| m[1].as_ref());
                own.unwrap_or(&self.mixes[segment][2]).draw(&mut self.rng)
            }
        };
        Attributes {
            segment,
            channel: r.channel as usize,
            priority: r.priority as usize,
            level,
            category,
        }
    }

    /// The rest of the draw under `[categories]`: category, channel, priority, level.
    fn draw_with_category(&mut self, segment: usize) -> Attributes {
        let category = self.categories[segment].draw(&mut self.rng);
        let [c, p, l] = &self.mixes[segment];
        let [cc, cl] = &self.by_category[category];
        let channel = cc.as_ref().unwrap_or(c).draw(&mut self.rng);
        let priority = p.draw(&mut self.rng);
        let level = cl.as_ref().unwrap_or(l).draw(&mut self.rng);
        Attributes {
            segment,
            channel,
            priority,
            level,
            category,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_above_the_sum_never_picks_a_value_of_probability_zero() {
        // Shares summing to 1 - 1e-7 are valid (tolerance 1e-6): the gap must go to the last
        // possible value, never to the trailing zero (a level no tier serves).
        let c = Categorical::new(&[0.5, 0.4999999, 0.0]);
        assert_eq!(c.cum[0], 0.5);
        assert!(c.cum[1].is_infinite() && c.cum[2].is_infinite());
        let mut rng = crate::engine::rng::stream(1, 0, crate::engine::rng::Purpose::Routing);
        assert!((0..10_000).all(|_| c.draw(&mut rng) < 2));
    }
}
