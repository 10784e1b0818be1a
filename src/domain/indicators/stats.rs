//! Medians, p90 and the trend of a series.
//!
//! The median of an even number of values is the mean of the two middle
//! ones. The p90 is the nearest-rank percentile: the value of rank
//! ⌈0.9 × n⌉ in ascending order (always one of the values; with fewer than
//! 10 values, the largest).

/// The median of `v` (sorted here).
pub fn median(v: &mut [u32]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        f64::from(v[n / 2])
    } else {
        (f64::from(v[n / 2 - 1]) + f64::from(v[n / 2])) / 2.0
    })
}

/// The nearest-rank p90 of `v` (sorted here).
pub fn p90(v: &mut [u32]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    // ⌈0.9 n⌉ = ⌈9 n / 10⌉, in integers.
    let rank = (9 * v.len()).div_ceil(10);
    v.get(rank.max(1) - 1).map(|x| f64::from(*x))
}

/// The least-squares slope of `points` (x, y); None under two distinct x.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}
