//! Evening out a force layout's crowded centre, where the names that matter
//! most are: each axis is first blended with the firms' rank along it (every
//! firm keeps its order left to right and top to bottom, so clusters packed
//! apart stay apart), then firms still too close are pushed apart until a
//! line of text fits between any two. Deterministic.

/// How much of the rank spacing is blended in (0: the layout as it is).
const EVENNESS: f64 = 0.5;

/// Spreads `points` between `lo` and `hi` along one axis.
fn spread_axis(values: &mut [f64], lo: f64, hi: f64) {
    let n = values.len();
    if n < 3 {
        return;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let mut ranked = vec![0.0; n];
    // Equal values share the mean of their ranks, so they stay equal.
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0;
        for &k in &order[i..=j] {
            ranked[k] = lo + (hi - lo) * mean / (n - 1) as f64;
        }
        i = j + 1;
    }
    for (v, r) in values.iter_mut().zip(ranked) {
        *v = (1.0 - EVENNESS) * *v + EVENNESS * r;
    }
}

/// Evens out `(x, y)` positions inside the box `x0..x1`, `y0..y1` (the
/// layout's own bounds).
pub fn even_out(points: &mut [(f64, f64)], x0: f64, x1: f64, y0: f64, y1: f64) {
    let mut xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    spread_axis(&mut xs, x0, x1);
    spread_axis(&mut ys, y0, y1);
    for (p, (x, y)) in points.iter_mut().zip(xs.into_iter().zip(ys)) {
        *p = (x, y);
    }
}

/// Rounds of pushing apart: enough for a few hundred firms to settle.
const ROUNDS: usize = 60;

/// Pushes apart, inside the box, any two firms whose circles (radii `radii`)
/// are less than `gap` apart; the pair visited first moves first, in a fixed
/// order, so the same input gives the same output.
pub fn separate(points: &mut [(f64, f64)], radii: &[f64], gap: f64, bounds: (f64, f64, f64, f64)) {
    let (x0, x1, y0, y1) = bounds;
    let n = points.len();
    for _ in 0..ROUNDS {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (points[j].0 - points[i].0, points[j].1 - points[i].1);
                let want = radii[i] + radii[j] + gap;
                let d2 = dx * dx + dy * dy;
                if d2 >= want * want {
                    continue;
                }
                let d = d2.sqrt();
                // Two firms at the same spot part along a direction of their own.
                let (ux, uy) = if d > 1e-6 {
                    (dx / d, dy / d)
                } else {
                    let a = (i * 7 + j * 13) as f64;
                    (a.cos(), a.sin())
                };
                let push = (want - d) / 2.0;
                points[i].0 = (points[i].0 - ux * push).clamp(x0, x1);
                points[i].1 = (points[i].1 - uy * push).clamp(y0, y1);
                points[j].0 = (points[j].0 + ux * push).clamp(x0, x1);
                points[j].1 = (points[j].1 + uy * push).clamp(y0, y1);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowded_centre_is_spread_and_the_order_kept() {
        let mut points = vec![
            (0.0, 0.0),
            (49.0, 49.0),
            (50.0, 50.0),
            (51.0, 51.0),
            (100.0, 100.0),
        ];
        even_out(&mut points, 0.0, 100.0, 0.0, 100.0);
        assert_eq!(points[0], (0.0, 0.0));
        assert_eq!(points[4], (100.0, 100.0));
        assert!(points[2].0 - points[1].0 > 10.0, "{points:?}");
        assert!(points
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
    }

    #[test]
    fn firms_too_close_are_pushed_apart_inside_the_box() {
        let mut points = vec![(50.0, 50.0), (52.0, 50.0), (50.0, 50.0), (0.0, 0.0)];
        let radii = [5.0; 4];
        separate(&mut points, &radii, 14.0, (0.0, 100.0, 0.0, 100.0));
        for (i, a) in points.iter().enumerate() {
            assert!((0.0..=100.0).contains(&a.0) && (0.0..=100.0).contains(&a.1));
            for b in &points[i + 1..] {
                let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                assert!(d >= 24.0 - 1e-6, "{points:?}");
            }
        }
    }
}
