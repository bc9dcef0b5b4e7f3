//! What the figures of a Latin hypercube sweep show, as numbers: the
//! smoothed trend through the scattered means and the binned heat-map
//! cells, on inputs whose answers are known exactly.

use trappe::sweep::figures::{Cell, bin_means, bins_for, trend};

#[test]
fn the_trend_follows_a_straight_line_exactly() {
    // Unevenly spaced, unsorted points on y = 3 − 2x: a local linear fit
    // reproduces the line at every x, ends included.
    let xs = [0.9, 0.0, 0.35, 1.7, 2.0, 1.1, 0.6];
    let points: Vec<(f64, f64)> = xs.iter().map(|&x| (x, 3.0 - 2.0 * x)).collect();
    let t = trend(&points, 21);
    assert_eq!(t.len(), 21);
    assert_eq!(t[0].0, 0.0);
    assert_eq!(t[20].0, 2.0);
    for (x, y) in &t {
        assert!((y - (3.0 - 2.0 * x)).abs() < 1e-9, "at {x}: {y}");
    }
}

#[test]
fn the_trend_smooths_noise_and_does_not_depend_on_order() {
    // Alternating ±1 around a constant 5: the trend stays near 5, well
    // inside the ±1 of the raw points, and reversing the input changes
    // nothing.
    let points: Vec<(f64, f64)> = (0..40)
        .map(|i| (i as f64, 5.0 + if i % 2 == 0 { 1.0 } else { -1.0 }))
        .collect();
    let t = trend(&points, 30);
    assert!(t.iter().all(|(_, y)| (y - 5.0).abs() < 0.2), "{t:?}");
    let mut reversed = points.clone();
    reversed.reverse();
    for (a, b) in trend(&reversed, 30).iter().zip(&t) {
        assert_eq!(a.0, b.0);
        assert!((a.1 - b.1).abs() < 1e-12);
    }
}

#[test]
fn no_trend_without_two_distinct_x() {
    assert!(trend(&[], 10).is_empty());
    assert!(trend(&[(1.0, 2.0), (1.0, 4.0)], 10).is_empty());
}

#[test]
fn bins_average_their_points_and_stay_within_the_ranges() {
    // 2 × 2 bins over x 0–10, y 0–1.
    let points = [
        (1.0, 0.1, 10.0),
        (4.0, 0.4, 20.0), // bottom left with the first: mean 15
        (6.0, 0.2, 7.0),  // bottom right
        (10.0, 1.0, 3.0), // top right corner belongs to the last cell
        (9.0, 0.9, 5.0),  // top right: mean 4
    ];
    let cells = bin_means(&points, (0.0, 10.0), (0.0, 1.0), 2);
    let cell = |x: (f64, f64), y: (f64, f64), value: Option<f64>| Cell { x, y, value };
    assert_eq!(
        cells,
        vec![
            cell((0.0, 5.0), (0.0, 0.5), Some(15.0)),
            cell((0.0, 5.0), (0.5, 1.0), None),
            cell((5.0, 10.0), (0.0, 0.5), Some(7.0)),
            cell((5.0, 10.0), (0.5, 1.0), Some(4.0)),
        ]
    );
}

#[test]
fn five_by_five_bins_tile_the_ranges_exactly() {
    let cells = bin_means(&[(2.0, 0.6, 1.0)], (2.0, 10.0), (0.6, 1.0), 5);
    assert_eq!(cells.len(), 25);
    assert_eq!(cells.iter().filter(|c| c.value.is_some()).count(), 1);
    let right = cells.iter().map(|c| c.x.1).fold(f64::MIN, f64::max);
    let top = cells.iter().map(|c| c.y.1).fold(f64::MIN, f64::max);
    assert_eq!(
        (right, top),
        (10.0, 1.0),
        "the last edges are the range ends"
    );
    assert!(cells.iter().all(|c| c.x.0 >= 2.0 && c.y.0 >= 0.6));
}

#[test]
fn about_three_sampled_points_per_cell() {
    assert_eq!(bins_for(12), 2);
    assert_eq!(bins_for(30), 3);
    assert_eq!(bins_for(75), 5);
    assert_eq!(bins_for(10_000), 12);
}
