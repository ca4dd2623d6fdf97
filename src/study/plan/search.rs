//! The hiring search: when must we hire, and how many, to keep every target through the
//! horizon. See the module docs of [`super`] for the algorithm.

use super::config::{Hire, Setup};
use super::evaluate::{Evaluation, evaluate};
use super::horizon::WEEK_MIN;
use super::measures::{Measure, PlanTarget, Span};
use crate::study::staff::TargetResult;

/// The search's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Targets every month must meet.
    pub targets: Vec<PlanTarget>,
    /// One-sided confidence of the bounds.
    pub confidence: f64,
    /// Seed of the search (the confirmation runs on [`crate::study::staff::confirmation_seed`]).
    pub seed: u64,
    /// Replications per evaluation.
    pub replications: u32,
    /// Most hires the search adds.
    pub max_hires: u32,
}

/// The targets' standing in one month.
#[derive(Debug, Clone)]
pub struct MonthCheck {
    /// Per target, in order.
    pub results: Vec<TargetResult>,
}

impl MonthCheck {
    /// Every target met.
    pub fn met(&self) -> bool {
        self.results.iter().all(|r| r.met)
    }

    /// The target with the smallest normalised margin (the worst), if any misses.
    pub fn worst(&self, targets: &[PlanTarget]) -> Option<usize> {
        self.results
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.met)
            .min_by(|a, b| {
                let na = a.1.margin / targets[a.0].target.norm();
                let nb = b.1.margin / targets[b.0].target.norm();
                na.total_cmp(&nb).then(a.0.cmp(&b.0))
            })
            .map(|(i, _)| i)
    }
}

/// Every month's check of an evaluation.
pub fn check_months(setup: &Setup, st: &Settings, e: &Evaluation) -> Vec<MonthCheck> {
    (0..setup.horizon.months.len())
        .map(|m| MonthCheck {
            results: st
                .targets
                .iter()
                .map(|t| t.check(setup, e, m, st.confidence))
                .collect(),
        })
        .collect()
}

/// One hire the search added.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The month that missed.
    pub month: usize,
    /// The target that missed most there (its expression).
    pub target: String,
    /// Its margin there (negative) in the target's unit.
    pub margin: f64,
    /// The file pool hired into.
    pub pool: usize,
    /// The hire's date.
    pub date: jiff::civil::Date,
    /// Added on the confirmation seed (the schedule missed there).
    pub confirmation: bool,
}

/// Why the search stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every month a hire can reach meets every target, on the search seed and on the
    /// confirmation seed.
    Met,
    /// `max_hires` hires were added with a reachable month still missing.
    Limit,
}

/// The search's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The file's hires only, on the search seed.
    pub before: Evaluation,
    /// The file's hires only, on the confirmation seed.
    pub before_confirm: Evaluation,
    /// The schedule of the search seed's walk, there.
    pub after: Evaluation,
    /// The final schedule on the confirmation seed (fresh random numbers).
    pub confirm: Evaluation,
    /// Hires added on the confirmation seed, where the search's schedule still missed.
    pub added_on_confirmation: usize,
    /// Hires added by the search (merged by pool and date), in date order.
    pub added: Vec<Hire>,
    /// Every hire added, in order.
    pub steps: Vec<Step>,
    /// Why it stopped.
    pub stop: Stop,
    /// Months that miss a target before any hire could be on duty (training): no schedule
    /// fixes them.
    pub unreachable: Vec<usize>,
    /// Evaluations simulated (the confirmation included).
    pub evaluations: usize,
}

/// Whether a hire made at the plan's start is on duty by the start of month `m`.
pub fn reachable(setup: &Setup, m: usize) -> bool {
    let h = &setup.horizon;
    h.months[m] + 1e-9 >= h.months[0] + setup.plan.training_weeks * WEEK_MIN
}

/// The hire date for month `m` in file pool `p`: the latest local day from which a hire is
/// trained by the month's start (never before the plan's start).
pub fn hire_date(setup: &Setup, m: usize) -> jiff::civil::Date {
    let h = &setup.horizon;
    let t = (h.months[m] - setup.plan.training_weeks * WEEK_MIN).max(h.months[0]);
    let d = h.date_at(t);
    // `date_at` floors to the local day, so the hire is trained by the month's start.
    d.max(h.month_dates[0])
}

/// The model pool to hire into for `month`: among the candidate pools (the intake pool for a
/// first-response target, every pool otherwise), the one whose utilisation rose most from
/// the first month (ratio), ties to the busier one, then the earlier one.
fn pool_to_hire(setup: &Setup, e: &Evaluation, month: usize, target: &PlanTarget) -> usize {
    let s = &setup.scenario;
    let candidates: Vec<usize> = match &target.measure {
        Measure::Utilisation(q) => vec![*q],
        _ if target.first_response() => vec![s.tiers[0].pool],
        _ => (0..s.pools.len()).collect(),
    };
    let util = |q: usize, m: usize| {
        e.estimate(setup, Span::Month(m), &Measure::Utilisation(q))
            .mean
    };
    let score = |q: usize| {
        let (now, first) = (util(q, month), util(q, 0));
        let r = if first > 0.0 { now / first } else { now };
        (
            if r.is_finite() { r } else { 0.0 },
            if now.is_finite() { now } else { 0.0 },
        )
    };
    let mut best = candidates[0];
    let mut best_score = score(best);
    for &q in &candidates[1..] {
        let sc = score(q);
        if sc.0 > best_score.0 + 1e-12
            || ((sc.0 - best_score.0).abs() <= 1e-12 && sc.1 > best_score.1)
        {
            best = q;
            best_score = sc;
        }
    }
    best
}

/// The search's state: the hires added so far and their steps.
struct Walk<'a> {
    setup: &'a Setup,
    st: &'a Settings,
    tick: &'a (dyn Fn() + Sync),
    added: Vec<Hire>,
    steps: Vec<Step>,
    evaluations: usize,
}

impl Walk<'_> {
    /// The file's hires and the added ones.
    fn schedule(&self) -> Vec<Hire> {
        let mut all = self.setup.plan.hires.clone();
        all.extend(self.added.iter().cloned());
        all
    }

    fn evaluate(&mut self, seed: u64) -> Evaluation {
        self.evaluations += 1;
        let hires = self.schedule();
        evaluate(self.setup, &hires, seed, self.st.replications, self.tick)
    }

    /// Hires for the first reachable month of `current` that misses, re-simulating on
    /// `seed`, until every reachable month holds or the hire limit: the last evaluation and
    /// why it stopped.
    fn run(&mut self, mut current: Evaluation, seed: u64) -> (Evaluation, Stop) {
        let (setup, st) = (self.setup, self.st);
        loop {
            let checks = check_months(setup, st, &current);
            let Some(month) = (0..checks.len()).find(|&m| !checks[m].met() && reachable(setup, m))
            else {
                return (current, Stop::Met);
            };
            if self.steps.len() as u32 >= st.max_hires {
                return (current, Stop::Limit);
            }
            let worst = checks[month].worst(&st.targets).unwrap_or(0);
            let target = &st.targets[worst];
            let q = pool_to_hire(setup, &current, month, target);
            let pool = (0..setup.pools.len())
                .find(|&p| setup.model_pool[p] == q)
                .unwrap_or(0);
            let date = hire_date(setup, month);
            match self
                .added
                .iter_mut()
                .find(|h| h.pool == pool && h.date == date)
            {
                Some(h) => h.count += 1,
                None => self.added.push(Hire {
                    date,
                    pool,
                    count: 1,
                }),
            }
            self.steps.push(Step {
                month,
                target: target.target.expr.clone(),
                margin: checks[month].results[worst].margin,
                pool,
                date,
                confirmation: seed != st.seed,
            });
            current = self.evaluate(seed);
        }
    }
}

/// Runs the search (see [`super`]): walk the months, hire for the first reachable month that
/// misses, re-simulate on the same seed, until every reachable month holds or `max_hires`;
/// then the same walk on the confirmation seed (fresh random numbers), so the schedule holds
/// on both.
pub fn search(setup: &Setup, st: &Settings, tick: &(dyn Fn() + Sync)) -> Outcome {
    let mut w = Walk {
        setup,
        st,
        tick,
        added: Vec::new(),
        steps: Vec::new(),
        evaluations: 0,
    };
    let before = w.evaluate(st.seed);
    let (after, stop) = w.run(before.clone(), st.seed);
    let searched = w.steps.len();
    let cseed = crate::study::staff::confirmation_seed(st.seed);
    let first = w.evaluate(cseed);
    let (confirm, stop) = match stop {
        Stop::Met => w.run(first, cseed),
        Stop::Limit => (first, stop),
    };
    let before_confirm = if w.added.is_empty() {
        confirm.clone()
    } else {
        let mut file = Walk {
            setup,
            st,
            tick,
            added: Vec::new(),
            steps: Vec::new(),
            evaluations: 0,
        };
        w.evaluations += 1;
        file.evaluate(cseed)
    };
    let checks = check_months(setup, st, &confirm);
    let unreachable = (0..checks.len())
        .filter(|&m| !checks[m].met() && !reachable(setup, m))
        .collect();
    let mut added = w.added;
    added.sort_by(|a, b| a.date.cmp(&b.date).then(a.pool.cmp(&b.pool)));
    Outcome {
        before,
        before_confirm,
        after,
        confirm,
        added,
        added_on_confirmation: w.steps.len() - searched,
        steps: w.steps,
        stop,
        unreachable,
        evaluations: w.evaluations,
    }
}
