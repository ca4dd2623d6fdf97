//! Tables of `supportsim staff`.

use super::Result;
use super::estimate::opt;
use crate::study::staff::{CostModel, Eval, Outcome, Problem};
use polars::prelude::*;

/// One row per searched pool: `pool, file_headcount, stability_floor, erlang_start,
/// search_answer, answer, cap` (`answer` is the confirmed headcount).
pub fn staffing_df(p: &Problem, o: &Outcome) -> Result<DataFrame> {
    Ok(DataFrame::new_infer_height(vec![
        Column::new("pool".into(), o.pools.clone()),
        Column::new("file_headcount".into(), o.file_headcount.clone()),
        Column::new("stability_floor".into(), p.floor.clone()),
        Column::new("erlang_start".into(), o.start.clone()),
        Column::new("search_answer".into(), o.search_answer.headcount.clone()),
        Column::new("answer".into(), o.confirmed.headcount.clone()),
        Column::new("cap".into(), o.caps.clone()),
    ])?)
}

/// One row per target on the confirmation run: `target, metric`, the key columns of the
/// targets' groups, `op, threshold, unit,
/// n_replications, mean, bound, margin, met` (mean, bound and margin in the target's unit).
pub fn targets_df(p: &Problem, e: &Eval) -> Result<DataFrame> {
    let t = &p.targets;
    let r = &e.targets;
    let mut cols = vec![
        Column::new(
            "target".into(),
            t.iter().map(|x| x.expr.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "metric".into(),
            t.iter().map(|x| x.metric).collect::<Vec<_>>(),
        ),
    ];
    let keys: Vec<_> = t.iter().map(|x| &x.key).collect();
    cols.extend(super::keys::keys_of(&keys)?);
    cols.extend([
        Column::new(
            "op".into(),
            t.iter().map(|x| x.op.symbol()).collect::<Vec<_>>(),
        ),
        Column::new(
            "threshold".into(),
            t.iter().map(|x| x.threshold).collect::<Vec<_>>(),
        ),
        Column::new("unit".into(), t.iter().map(|x| x.unit).collect::<Vec<_>>()),
        Column::new(
            "n_replications".into(),
            r.iter().map(|x| x.n as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "mean".into(),
            r.iter().map(|x| opt(x.mean)).collect::<Vec<_>>(),
        ),
        Column::new(
            "bound".into(),
            r.iter().map(|x| opt(x.bound)).collect::<Vec<_>>(),
        ),
        Column::new(
            "margin".into(),
            r.iter().map(|x| opt(x.margin)).collect::<Vec<_>>(),
        ),
        Column::new("met".into(), r.iter().map(|x| x.met).collect::<Vec<_>>()),
    ]);
    Ok(DataFrame::new_infer_height(cols)?)
}

/// One row per distinct evaluation, search first then confirmation: `phase, evaluation,
/// <pool>...` (headcounts), the cost column, `feasible, worst_margin, shortfall`.
pub fn search_log_df(o: &Outcome, cost: CostModel) -> Result<DataFrame> {
    let rows: Vec<(&str, &Eval)> = o
        .search_log
        .iter()
        .map(|e| ("search", e))
        .chain(o.confirmation_log.iter().map(|e| ("confirmation", e)))
        .collect();
    let mut cols = vec![
        Column::new(
            "phase".into(),
            rows.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        ),
        Column::new(
            "evaluation".into(),
            rows.iter().map(|(_, e)| e.index as u32).collect::<Vec<_>>(),
        ),
    ];
    for (i, pool) in o.pools.iter().enumerate() {
        cols.push(Column::new(
            pool.as_str().into(),
            rows.iter().map(|(_, e)| e.headcount[i]).collect::<Vec<_>>(),
        ));
    }
    cols.extend([
        Column::new(
            cost.name().into(),
            rows.iter().map(|(_, e)| opt(e.cost)).collect::<Vec<_>>(),
        ),
        Column::new(
            "feasible".into(),
            rows.iter().map(|(_, e)| e.feasible).collect::<Vec<_>>(),
        ),
        Column::new(
            "worst_margin".into(),
            rows.iter()
                .map(|(_, e)| opt(e.worst_margin))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "shortfall".into(),
            rows.iter()
                .map(|(_, e)| opt(e.shortfall))
                .collect::<Vec<_>>(),
        ),
    ]);
    Ok(DataFrame::new_infer_height(cols)?)
}
