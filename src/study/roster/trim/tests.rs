use super::*;
use crate::scenario::raw::Day;

fn pattern(pool: usize, cost: f64, coverage: Vec<f64>) -> Pattern {
    Pattern {
        pool,
        days: vec![Day::Mon],
        start_min: 0,
        length_min: 480,
        timezone: "UTC".into(),
        cost_per_week: cost,
        hours_per_week: 8.0,
        coverage,
    }
}

fn roster(agents: Vec<u32>) -> Roster {
    Roster {
        agents,
        cost_per_week: 0.0,
        optimal: true,
        uncovered: Vec::new(),
    }
}

fn evaluation(feasible: bool) -> Evaluation {
    Evaluation {
        cost: 0.0,
        targets: Vec::new(),
        feasible,
        summary: Vec::new(),
        unstable: 0,
    }
}

/// Largest saving first; among equal savings the pattern over the shorter queue; a pattern
/// already tried, one without agents and the last agent of a pool are never offered.
#[test]
fn removals_are_offered_largest_saving_first_then_over_the_shortest_queue() {
    let pats = vec![
        pattern(0, 40.0, vec![1.0, 1.0, 0.0, 0.0]),
        pattern(0, 40.0, vec![0.0, 0.0, 1.0, 1.0]),
        pattern(0, 20.0, vec![0.0, 1.0, 1.0, 0.0]),
        pattern(0, 60.0, vec![1.0, 0.0, 0.0, 1.0]),
        pattern(1, 90.0, vec![1.0, 1.0, 1.0, 1.0]),
    ];
    // Pool 0 queues 5 in its first half, 1 in its second.
    let queues = vec![(0, vec![5.0, 5.0, 1.0, 1.0]), (1, vec![0.0; 4])];
    let r = roster(vec![1, 2, 1, 0, 1]);
    let none = vec![false; 5];
    // Pattern 3 has no agent and pool 1's only agent stays: 1 (40, queue 1) before 0 (40,
    // queue 5) before 2 (20).
    assert_eq!(candidates(&pats, &r, &queues, &none), vec![1, 0, 2]);
    let mut tried = none.clone();
    tried[1] = true;
    assert_eq!(candidates(&pats, &r, &queues, &tried), vec![0, 2]);
    // A pool down to one agent offers nothing.
    let r = roster(vec![0, 1, 0, 0, 2]);
    assert_eq!(candidates(&pats, &r, &queues, &none), vec![4]);
}

#[test]
fn one_agent_fewer_costs_one_pattern_less() {
    let pats = vec![pattern(0, 40.0, vec![1.0]), pattern(0, 25.0, vec![1.0])];
    let r = without_one(&pats, &roster(vec![2, 3]), 1);
    assert_eq!(r.agents, vec![2, 2]);
    assert_eq!(r.cost_per_week, 2.0 * 40.0 + 2.0 * 25.0);
}

/// The confirmation holds from 5 agents on: of 3 removals from 7, the last two are undone
/// (last removed first) and the roster kept is the one the trim had at 5 agents.
#[test]
fn a_failed_confirmation_puts_the_last_removals_back_first() {
    let rounds: Vec<Round> = [7, 6, 5, 4]
        .iter()
        .map(|&n| Round {
            roster: roster(vec![n]),
            eval: evaluation(true),
            raised: Vec::new(),
        })
        .collect();
    let mut t = Trim {
        round: rounds[3].clone(),
        removed: vec![0, 0, 0],
        evaluations: 3,
        limit_reached: false,
        restored: 0,
        floored: Vec::new(),
        before: rounds[..3].to_vec(),
    };
    let mut asked = Vec::new();
    let mut confirm = |r: &Roster| {
        asked.push(r.agents[0]);
        Ok(evaluation(r.agents[0] >= 5))
    };
    let first = evaluation(false);
    let kept = restore(&mut t, first, &mut confirm).unwrap();
    assert!(kept.feasible);
    assert_eq!(asked, vec![5]);
    assert_eq!(t.round.roster.agents, vec![5]);
    assert_eq!((t.restored, t.removed.len()), (1, 2));
    // A confirmation that never holds walks back to the untrimmed roster.
    let mut never = |_: &Roster| Ok(evaluation(false));
    let kept = restore(&mut t, evaluation(false), &mut never).unwrap();
    assert!(!kept.feasible);
    assert_eq!(t.round.roster.agents, vec![7]);
    assert!(t.removed.is_empty() && t.restored == 3);
}
