//! Random streams: which random numbers a replication uses, and where they
//! come from.
//!
//! Every stream is a Xoshiro256++ generator (a named, portable algorithm)
//! whose 256-bit seed is derived from `(seed, replication, kind, index)` by
//! SplitMix64 mixing, documented here so any implementation can reproduce
//! it. Kinds of draws get separate streams, and every case gets its own, so
//! two scenarios run with the same seed see the same arrivals and the same
//! per-child luck (common random numbers) until their policies make the
//! children's paths differ.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::Open01;

/// What a stream is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum StreamKind {
    /// Referral arrival times.
    Arrivals = 1,
    /// A case's hidden need dynamics and exit hazards.
    CaseLatent = 2,
    /// A case's attributes and decisions: age, entry rung, first follow-up
    /// offset, detection at each follow-up, and the destination of a move
    /// from a rung with a `down_to`, `up_to` or `crisis_to` table (only
    /// then: a rung without one draws nothing).
    CaseDecisions = 3,
    /// One uncertain parameter's value for a replication (`[uncertainty]`);
    /// the index is [`path_index`] of the parameter's path.
    Parameters = 4,
}

/// The stream index of an uncertain parameter: the 64-bit FNV-1a hash of
/// its path's UTF-8 bytes (offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3). Indexing by path rather than by position means a
/// parameter gets the same value in replication *i* of every scenario
/// that lists it with the same distribution, whatever else the tables hold
/// and in whatever order.
pub fn path_index(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's output function (Steele, Lea & Flood 2014).
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator for one stream.
///
/// Derivation: `s = seed`; for each word `w` of `[replication, kind, index]`:
/// `s = splitmix64(s ^ w)` (one step, output kept as the new state); then the
/// four 64-bit seed words are four further SplitMix64 outputs from `s`, in
/// little-endian byte order.
pub fn stream(seed: u64, replication: u64, kind: StreamKind, index: u64) -> Xoshiro256PlusPlus {
    let mut s = seed;
    for word in [replication, kind as u64, index] {
        let mut t = s ^ word;
        s = splitmix64(&mut t);
    }
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_exact_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut s).to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// An exponential waiting time with `rate` per year, by inversion
/// (−ln U / rate), so that with common random numbers a higher rate always
/// gives an earlier time. Infinite when the rate is 0.
pub fn exponential(rng: &mut impl Rng, rate: f64) -> f64 {
    let u: f64 = rng.sample(Open01);
    if rate > 0.0 {
        -u.ln() / rate
    } else {
        f64::INFINITY
    }
}

/// A uniform number in `[0, 1)`.
pub fn uniform(rng: &mut impl Rng) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Golden values: if a dependency bump or a code change alters the
    /// streams, every published result would change; this test says so.
    #[test]
    fn streams_are_stable() {
        let mut r = stream(2013, 7, StreamKind::CaseLatent, 42);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = stream(2013, 7, StreamKind::CaseLatent, 42);
        assert_eq!(got[0], again.next_u64());
        assert_eq!(
            got, GOLDEN,
            "random streams changed: results are no longer reproducible"
        );
    }

    /// First three outputs of stream (2013, 7, CaseLatent, 42), checked
    /// against an independent Python implementation of the derivation
    /// above and of Xoshiro256++ (Blackman & Vigna's reference algorithm).
    const GOLDEN: [u64; 3] = [
        12_519_341_871_578_333_505,
        4_013_129_029_530_267_232,
        7_675_006_241_883_723_560,
    ];

    #[test]
    fn streams_differ_by_every_coordinate() {
        let first = |s, r, k, i| stream(s, r, k, i).next_u64();
        let base = first(1, 0, StreamKind::Arrivals, 0);
        assert_ne!(base, first(2, 0, StreamKind::Arrivals, 0));
        assert_ne!(base, first(1, 1, StreamKind::Arrivals, 0));
        assert_ne!(base, first(1, 0, StreamKind::CaseLatent, 0));
        assert_ne!(base, first(1, 0, StreamKind::Arrivals, 1));
    }

    #[test]
    fn path_index_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(path_index(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(path_index("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(path_index("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn exponential_has_the_right_mean() {
        let mut r = stream(1, 0, StreamKind::Arrivals, 0);
        let n = 200_000;
        let mean = (0..n).map(|_| exponential(&mut r, 4.0)).sum::<f64>() / n as f64;
        // sd of the mean = 0.25 / sqrt(n) ≈ 0.00056; allow 5 standard errors.
        assert!(
            (mean - 0.25).abs() < 5.0 * 0.25 / (n as f64).sqrt(),
            "{mean}"
        );
        assert_eq!(exponential(&mut r, 0.0), f64::INFINITY);
    }
}
