use super::solve::solve_pool;

/// Smallest cost over every integer vector with entries in `0..=max` that covers `need`.
fn brute_force(cost: &[f64], cover: &[Vec<f64>], need: &[u32], max: u32) -> f64 {
    let k = cost.len();
    let mut x = vec![0u32; k];
    let mut best = f64::INFINITY;
    loop {
        let ok = (0..need.len()).all(|j| {
            let got: f64 = (0..k).map(|i| cover[i][j] * f64::from(x[i])).sum();
            got + 1e-9 >= f64::from(need[j])
        });
        if ok {
            best = best.min((0..k).map(|i| cost[i] * f64::from(x[i])).sum());
        }
        // Next vector (odometer).
        let mut i = 0;
        while i < k && x[i] == max {
            x[i] = 0;
            i += 1;
        }
        if i == k {
            return best;
        }
        x[i] += 1;
    }
}

/// A day of 8 intervals and 5 patterns (full shifts, a split shift, a part-time, a
/// half-covering one): the program's optimum is the enumeration's, for several needs.
#[test]
fn integer_program_optimum_equals_exhaustive_enumeration() {
    let cover = vec![
        vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        vec![0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0],
        vec![0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0],
        vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0],
        vec![0.0, 0.0, 0.5, 1.0, 1.0, 0.0, 0.0, 0.0],
    ];
    let cost = vec![8.0, 8.5, 9.0, 6.0, 3.5];
    let needs: [[u32; 8]; 4] = [
        [1, 2, 3, 3, 2, 2, 1, 1],
        [2, 1, 4, 2, 3, 1, 2, 3],
        [0, 0, 1, 4, 4, 0, 0, 0],
        [3, 3, 3, 3, 3, 3, 3, 3],
    ];
    for need in needs {
        let sol = solve_pool("test", &cost, &cover, &need).unwrap();
        let best = brute_force(&cost, &cover, &need, 6);
        assert!(sol.optimal, "{need:?}");
        assert!(
            (sol.cost - best).abs() < 1e-9,
            "{need:?}: program {} vs enumeration {best} ({:?})",
            sol.cost,
            sol.agents
        );
        for j in 0..need.len() {
            let got: f64 = (0..cost.len())
                .map(|i| cover[i][j] * f64::from(sol.agents[i]))
                .sum();
            assert!(got + 1e-9 >= f64::from(need[j]), "{need:?} at {j}");
        }
    }
}

#[test]
fn an_interval_no_pattern_covers_is_reported_not_infeasible() {
    let cover = vec![vec![1.0, 0.0], vec![1.0, 0.0]];
    let sol = solve_pool("test", &[2.0, 3.0], &cover, &[2, 1]).unwrap();
    assert_eq!(sol.agents, vec![2, 0]);
    assert_eq!(sol.uncovered, vec![1]);
}
