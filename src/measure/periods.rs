//! Counters per report period of the measured window (`RunSettings::periods`, set only by
//! `supportsim plan`): SLA attainment by priority x segment cell and resolutions, each counted
//! in the period its ticket arrived, exactly as the whole-window counters are. Memory is
//! periods x cells, whatever the horizon; files without periods pay one branch per count.

use super::recorder::Recorder;
use std::sync::Arc;

/// SLA counts of one cell in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodSla {
    /// First response: tickets covered by a target, and those meeting it.
    pub fr: (u64, u64),
    /// Resolution: tickets covered by a target, and those meeting it.
    pub res: (u64, u64),
}

/// The recorder's counters per report period.
#[derive(Debug, Clone)]
pub struct Periods {
    /// Period starts [minutes], ascending; the last period runs to the window's end.
    pub starts: Arc<[f64]>,
    /// Cells per period (`priorities x segments`).
    pub cells: usize,
    /// Per `period * cells + cell`.
    pub sla: Vec<PeriodSla>,
    /// Per `period * cells + cell`: (measured tickets resolved, their resolution times
    /// summed [minutes]).
    pub resolved: Vec<(u64, f64)>,
}

impl Periods {
    /// Empty counters for `starts` and `cells` priority x segment cells.
    pub fn new(starts: Arc<[f64]>, cells: usize) -> Self {
        let n = starts.len();
        Periods {
            starts,
            cells,
            sla: vec![PeriodSla::default(); n * cells],
            resolved: vec![(0, 0.0); n * cells],
        }
    }

    /// The period of a ticket that arrived at `arrival` (measured tickets arrive in the
    /// window, so at or after the first start).
    #[inline]
    pub fn of(&self, arrival: f64) -> usize {
        self.starts
            .partition_point(|&t| t <= arrival)
            .saturating_sub(1)
    }

    /// A measured ticket of `cell` that arrived at `arrival` was resolved after `res`
    /// minutes.
    #[inline]
    pub fn resolved(&mut self, cell: usize, arrival: f64, res: f64) {
        let i = self.of(arrival) * self.cells + cell;
        let r = &mut self.resolved[i];
        r.0 += 1;
        r.1 += res;
    }
}

impl Recorder {
    /// Counts a measured ticket of `cell` against its first-response or resolution target in
    /// the period it arrived, when periods are counted.
    #[inline]
    pub(crate) fn period_sla(&mut self, cell: usize, resolution: bool, arrival: f64, met: bool) {
        let Some(p) = self.periods.as_deref_mut() else {
            return;
        };
        let i = p.of(arrival) * p.cells + cell;
        let c = if resolution {
            &mut p.sla[i].res
        } else {
            &mut p.sla[i].fr
        };
        c.0 += 1;
        c.1 += u64::from(met);
    }
}
