//! The few lines of dense linear algebra the Poisson regression needs (at most 8 x 8
//! matrices): not worth a dependency.

/// Inverse of a small symmetric positive-definite matrix by Gauss-Jordan elimination with
/// partial pivoting; `None` when singular.
pub fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut m: Vec<Vec<f64>> = a
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..n).map(|j| f64::from(u8::from(i == j))));
            r
        })
        .collect();
    for col in 0..n {
        let piv = (col..n).max_by(|&x, &y| m[x][col].abs().total_cmp(&m[y][col].abs()))?;
        if m[piv][col].abs() < 1e-300 {
            return None;
        }
        m.swap(col, piv);
        let d = m[col][col];
        for v in m[col].iter_mut() {
            *v /= d;
        }
        let pivot = m[col].clone();
        for (r, row) in m.iter_mut().enumerate() {
            let f = row[col];
            if r != col && f != 0.0 {
                for (v, q) in row.iter_mut().zip(&pivot) {
                    *v -= f * q;
                }
            }
        }
    }
    Some(m.into_iter().map(|r| r[n..].to_vec()).collect())
}

/// `a x`.
pub fn mul_vec(a: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
    a.iter()
        .map(|r| r.iter().zip(x).map(|(p, q)| p * q).sum())
        .collect()
}

/// `a b`.
pub fn mul(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = b.first().map_or(0, Vec::len);
    a.iter()
        .map(|r| {
            (0..n)
                .map(|j| r.iter().zip(b).map(|(p, row)| p * row[j]).sum())
                .collect()
        })
        .collect()
}

/// `g' c g` (the delta-method variance of a function with gradient `g`).
pub fn quad(c: &[Vec<f64>], g: &[f64]) -> f64 {
    g.iter().zip(mul_vec(c, g)).map(|(a, b)| a * b).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts() {
        let a = vec![vec![4.0, 1.0], vec![1.0, 3.0]];
        let i = invert(&a).unwrap();
        let p = mul(&a, &i);
        for (r, row) in p.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                assert!((v - f64::from(u8::from(r == c))).abs() < 1e-12);
            }
        }
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
    }
}
