//! The referral stream of one replication (docs/model.md section 5): arrival times
//! from their own random stream, and the stamp of the one pending arrival.
//! The rules that open and assess the referred cases are in `intake.rs`.

use rand::rngs::Xoshiro256PlusPlus;

use super::streams::{StreamKind, exponential, stream};
use crate::event_queue::{Generation, Stamp};

/// The referral stream: arrival times and the stamp of the one pending
/// arrival (redrawn when `referrals_per_year` changes: memoryless).
#[derive(Debug, Clone)]
pub struct Referrals {
    arrivals: Xoshiro256PlusPlus,
    next: Generation,
}

impl Referrals {
    /// The arrival stream of one replication.
    pub fn new(seed: u64, replication: u64) -> Self {
        Self {
            arrivals: stream(seed, replication, StreamKind::Arrivals, 0),
            next: Generation::default(),
        }
    }

    /// Draw the wait until the next referral at `rate` per year (infinite
    /// at rate 0), voiding the arrival drawn before.
    pub fn draw_next(&mut self, rate: f64) -> (Stamp, f64) {
        let stamp = self.next.bump();
        (stamp, exponential(&mut self.arrivals, rate))
    }

    /// Whether a referral stamped `stamp` is still the pending one.
    pub fn is_current(&self, stamp: Stamp) -> bool {
        self.next.is_current(stamp)
    }
}
