//! Latin hypercube sampling: positions in N strata per dimension.
//!
//! For N samples each dimension is cut into N equal strata and every stratum
//! is used exactly once; the strata of different dimensions are paired by
//! independent random permutations, and each position lies uniformly within
//! its stratum. What a position means for a parameter's range (decimals
//! rounded, integers rounded down) is the design's business
//! ([`super::design::Range::sampled_level`]).
//!
//! The draws are fully specified here so a design can be reproduced by
//! anyone from its seed: a Xoshiro256++ generator seeded with four
//! SplitMix64 outputs starting from `seed ^ 0x4C48_535F_5357_4545`
//! ("LHS_SWEE"); for each range in order, a Fisher–Yates shuffle of the
//! strata `0..N` (for i = N−1 down to 1, j = ⌊(next × (i+1)) / 2⁶⁴⌋, swap i
//! and j), then N uniforms u = (next >> 11) × 2⁻⁵³; sample k takes
//! position π(k) + u_k, which a range maps to LO + (HI − LO) × position / N.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};

use crate::model::streams::splitmix64;

/// Mixed into the scenario seed so the design's stream differs from every
/// simulation stream.
const LHS_TAG: u64 = 0x4C48_535F_5357_4545;

/// The design generator for `seed` (see the module notes); other seeded
/// designs (Saltelli, bootstrap resamples) pass their own tagged seed.
pub fn generator(seed: u64) -> Xoshiro256PlusPlus {
    let mut state = seed ^ LHS_TAG;
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_exact_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// `n` samples over `dimensions` dimensions: sample *k* holds one position
/// per dimension, in `[0, n)`, whose whole part is its stratum.
pub fn positions(dimensions: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = generator(seed);
    let mut out = vec![Vec::with_capacity(dimensions); n];
    for _ in 0..dimensions {
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
            strata.swap(i, j);
        }
        for (k, stratum) in strata.into_iter().enumerate() {
            let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            out[k].push(stratum as f64 + u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stratum_is_used_once() {
        let n = 40;
        let draws = positions(2, n, 7);
        for dim in 0..2 {
            let mut seen = vec![0; n];
            for d in &draws {
                assert!((0.0..n as f64).contains(&d[dim]), "{}", d[dim]);
                seen[d[dim].floor() as usize] += 1;
            }
            assert!(seen.iter().all(|&c| c == 1), "dim {dim}: {seen:?}");
        }
    }

    #[test]
    fn same_seed_same_design() {
        assert_eq!(positions(1, 10, 3), positions(1, 10, 3));
        assert_ne!(positions(1, 10, 3), positions(1, 10, 4));
    }
}
