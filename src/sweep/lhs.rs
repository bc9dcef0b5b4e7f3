//! Latin hypercube sampling over ranges.
//!
//! For N samples each range is cut into N equal strata and every stratum is
//! used exactly once; the strata of different ranges are paired by
//! independent random permutations, and each value lies uniformly within its
//! stratum. Decimal values are rounded to 6 significant digits (readable
//! tables; far finer than any stratum). An integer range `LO..HI` is
//! sampled on `[LO, HI + 1)` and rounded down, so every integer is equally
//! likely and the strata still spread over the whole range.
//!
//! The draws are fully specified here so a design can be reproduced by
//! anyone from its seed: a Xoshiro256++ generator seeded with four
//! SplitMix64 outputs starting from `seed ^ 0x4C48_535F_5357_4545`
//! ("LHS_SWEE"); for each range in order, a Fisher–Yates shuffle of the
//! strata `0..N` (for i = N−1 down to 1, j = ⌊(next × (i+1)) / 2⁶⁴⌋, swap i
//! and j), then N uniforms u = (next >> 11) × 2⁻⁵³; sample k takes
//! stratum π(k) and value LO + (HI − LO) × (π(k) + u_k) / N.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};

use super::design::{Level, Number, Range};
use crate::format::significant;

/// Mixed into the scenario seed so the design's stream differs from every
/// simulation stream.
const LHS_TAG: u64 = 0x4C48_535F_5357_4545;

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn generator(seed: u64) -> Xoshiro256PlusPlus {
    let mut state = seed ^ LHS_TAG;
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_exact_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// `n` samples over `ranges`: sample *k* holds one level per range.
pub fn sample(ranges: &[Range], n: usize, seed: u64) -> Vec<Vec<Level>> {
    let mut rng = generator(seed);
    let mut out = vec![Vec::with_capacity(ranges.len()); n];
    for range in ranges {
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
            strata.swap(i, j);
        }
        let integer = range.is_integer();
        let (lo, hi) = (number(range.low), number(range.high));
        let width = if integer { hi + 1.0 - lo } else { hi - lo };
        for (k, stratum) in strata.into_iter().enumerate() {
            let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let x = lo + width * (stratum as f64 + u) / n as f64;
            out[k].push(if integer {
                Level::Int((x.floor() as i64).clamp(lo as i64, hi as i64))
            } else {
                Level::Float(significant(x, 6).clamp(lo, hi))
            });
        }
    }
    out
}

fn number(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sweep::design::{Parameter, Values};

    fn range(text: &str) -> Range {
        match format!("x.y={text}").parse::<Parameter>().unwrap().values {
            Values::Range(r) => r,
            Values::List(_) => panic!("not a range"),
        }
    }

    #[test]
    fn every_stratum_is_used_once() {
        let n = 40;
        let draws = sample(&[range("0.0..1.0"), range("10.0..30.0")], n, 7);
        for (dim, (lo, width)) in [(0.0, 1.0), (10.0, 20.0)].into_iter().enumerate() {
            let mut seen = vec![0; n];
            for d in &draws {
                let x = d[dim].as_f64().unwrap();
                let stratum = (((x - lo) / width) * n as f64).floor() as usize;
                seen[stratum.min(n - 1)] += 1;
            }
            assert!(seen.iter().all(|&c| c == 1), "dim {dim}: {seen:?}");
        }
    }

    #[test]
    fn integer_ranges_stay_integers_within_bounds() {
        let draws = sample(&[range("2..12")], 11, 1);
        let mut values: Vec<i64> = draws
            .iter()
            .map(|d| match d[0] {
                Level::Int(i) => i,
                _ => panic!("not an integer"),
            })
            .collect();
        values.sort();
        // 11 samples over 11 integers: each stratum is one integer.
        assert_eq!(values, (2..=12).collect::<Vec<_>>());
    }

    #[test]
    fn same_seed_same_design() {
        let r = [range("0.5..1.0")];
        assert_eq!(sample(&r, 10, 3), sample(&r, 10, 3));
        assert_ne!(sample(&r, 10, 3), sample(&r, 10, 4));
    }
}
